    beta_0(delta);
    alpha_1(theta);
    gamma_2(omega);

    alpha_4(alpha);
    alpha_5(beta);

    theta_7(omega);
}
    sigma_9(omega);
    omega_10(omega);
    beta_11(alpha);
    beta_12(gamma);
    omega_13(alpha);
    omega_14(theta);
    alpha_15(omega);
    beta_16(gamma);

    omega_18(alpha);
    delta_19(sigma);
    theta_20(gamma);
    delta_21(gamma);
    theta_22(beta);
    beta_23(alpha);
    omega_24(delta);
    sigma_25(delta);
    alpha_26(alpha);
    beta_27(theta);
    delta_28(delta);

    theta_30(omega);
    theta_31(gamma);
    gamma_32(omega);
    theta_33(delta);


    sigma_36(sigma);

    gamma_38(sigma);
    sigma_39(theta);
    sigma_40(delta);
    gamma_41(alpha);
    gamma_42(beta);
    delta_43(alpha);
    gamma_44(beta);
    delta_45(delta);
    delta_46(alpha);
}
    gamma_48(beta);
    theta_49(omega);
    delta_50(gamma);
    delta_51(beta);
}
}
    beta_54(alpha);
    omega_55(beta);
    alpha_56(beta);
    gamma_57(omega);
    beta_58(sigma);
    omega_59(sigma);
    alpha_60(delta);
    theta_61(theta);
    omega_62(delta);
    delta_63(alpha);
    delta_64(alpha);
}
    delta_66(beta);
}
    alpha_68(alpha);
    omega_69(alpha);
    omega_70(alpha);

    delta_72(beta);
    gamma_73(omega);
    alpha_74(alpha);
    delta_75(delta);
    alpha_76(beta);
}
    gamma_78(delta);
    beta_79(omega);

    omega_81(gamma);
}
    alpha_83(theta);
    sigma_84(theta);

    omega_86(gamma);
    gamma_87(theta);
    omega_88(theta);
    sigma_89(beta);
    theta_90(theta);
    theta_91(beta);
    sigma_92(theta);
    omega_93(delta);
    alpha_94(alpha);
    delta_95(gamma);
}
    gamma_97(delta);
    sigma_98(gamma);
    gamma_99(alpha);
    beta_100(delta);
}
    omega_102(omega);
    delta_103(sigma);
    sigma_104(alpha);
    alpha_105(delta);
    theta_106(beta);
    beta_107(delta);
    gamma_108(alpha);
    sigma_109(delta);
    sigma_110(alpha);
    beta_111(beta);

    delta_113(theta);
    omega_114(theta);
    delta_115(sigma);
    beta_116(omega);
    alpha_117(alpha);
    sigma_118(sigma);
}
    beta_120(delta);
    beta_121(theta);
    alpha_122(gamma);
    omega_123(beta);
    gamma_124(gamma);
    theta_125(beta);

    delta_127(sigma);
    omega_128(delta);
    omega_129(beta);
    omega_130(omega);

    beta_132(omega);

    beta_134(beta);
    sigma_135(alpha);
    gamma_136(sigma);
    omega_137(delta);
    alpha_138(omega);

}


    alpha_143(theta);
    alpha_144(delta);
    omega_145(omega);
    sigma_146(gamma);
    omega_147(theta);
    beta_148(sigma);
    gamma_149(omega);
    beta_150(theta);
    delta_151(alpha);
    gamma_152(alpha);
    delta_153(alpha);
    gamma_154(theta);
}
    sigma_156(sigma);
    beta_157(gamma);
    delta_158(beta);
    alpha_159(delta);
    beta_160(sigma);
    beta_161(sigma);
    omega_162(delta);
    beta_163(gamma);
    sigma_164(gamma);

    delta_166(sigma);

    omega_168(gamma);
    alpha_169(alpha);
    theta_170(beta);
    alpha_171(alpha);
    alpha_172(theta);
}
    theta_174(delta);
    sigma_175(theta);
    delta_176(beta);
    omega_177(omega);
    gamma_178(alpha);
    theta_179(sigma);
}
    gamma_181(alpha);
    theta_182(gamma);

    alpha_184(gamma);
    delta_185(alpha);
    omega_186(delta);
    gamma_187(omega);
}
    beta_189(alpha);
    gamma_190(alpha);
}
    sigma_192(gamma);
    beta_193(gamma);
    sigma_194(beta);
    theta_195(alpha);
    alpha_196(alpha);

    beta_198(omega);
    delta_199(alpha);
